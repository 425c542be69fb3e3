# A later RUN runs a script dockfix does not read: it may run apt-get install
# from the lists this RUN downloaded, so they stay.
FROM debian:12 AS scripted
RUN apt-get update && apt-get install -y --no-install-recommends curl
COPY setup.sh /usr/local/lib/
RUN sh /usr/local/lib/setup.sh

FROM debian:12 AS relative
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends make
COPY . .
RUN ./install-deps.sh && make

# A script run after its own update, or the Gradle wrapper, reads no old lists.
FROM debian:12 AS own_update
RUN apt-get update && apt-get install -y --no-install-recommends git
RUN apt-get update && ./bootstrap.sh && rm -rf /var/lib/apt/lists/*

FROM eclipse-temurin:21 AS gradle
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends unzip
COPY . .
RUN ./gradlew build
