# The port comes from a build argument (80 by default) through the
# environment: as another user the server could not bind it. Reported.
FROM debian:bookworm-slim
ARG SERVER_EXPOSE=80
ENV SERVER_PORT=$SERVER_EXPOSE
WORKDIR /app
COPY --from=builder /target /
EXPOSE $SERVER_EXPOSE
ENTRYPOINT ["./server-app"]
CMD ["serve"]
