FROM alpine
entrypoint /bin/app
cmd app --port 8080
CMD --port 9090