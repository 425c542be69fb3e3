# Base images this fix leaves alone: the piped RUN is in a stage the final
# stage is built on (the shell would reach it), ...
FROM debian:12 AS tools
RUN curl -fsSL https://example.com/key.gpg | gpg --dearmor -o /usr/share/keyrings/example.gpg

FROM tools
RUN echo ready
