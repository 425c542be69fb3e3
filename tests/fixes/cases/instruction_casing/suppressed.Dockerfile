# check=skip=ConsistentInstructionCasing
FROM alpine:3.20
run echo kept
RUN echo upper
