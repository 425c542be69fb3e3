# An image whose user is not known may set one of its own: creating a user
# takes root, so nothing shows the added RUN would work. Reported only.
FROM registry.example.com/platform/python-base:3.12-bookworm
WORKDIR /srv/app
COPY . .
CMD ["python", "-m", "app"]
