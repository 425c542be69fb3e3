# A toolchain whose CMD only starts a shell: images are built FROM it, so the
# shell is set back after the piped RUN
FROM ubuntu:24.04
RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin
RUN echo -e 'not read by bash: the shell is back'
CMD ["bash"]
