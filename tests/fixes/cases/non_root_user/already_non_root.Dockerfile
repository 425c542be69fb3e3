FROM python:3.12
USER 1001
CMD ["app"]
