# A base image built in two stages: the stage the final one is built on gets
# pipefail and sets the shell back after its last piped RUN, so neither the
# final stage nor the images built FROM it run in the new shell.
FROM debian:12 AS tools
RUN curl -fsSL https://example.com/key.gpg | gpg --dearmor -o /usr/share/keyrings/example.gpg
RUN ls /usr/share/keyrings | sort > /keyrings.txt
ENV TOOLS=1

FROM tools
RUN echo ready | tee /ready
