# An image whose user is not known, but a RUN installs packages with apt-get
# (as root, or the build would have failed there): the stage runs as root,
# and the user is added.
FROM registry.example.com/platform/python-base:3.12
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/app
COPY . .
CMD ["python", "-m", "app"]
