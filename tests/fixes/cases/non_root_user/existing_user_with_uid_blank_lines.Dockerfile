FROM debian:bookworm-slim

RUN apt-get update && apt-get install -y curl

# the app creates its own user
RUN groupadd -g 1500 svc && useradd --uid 1500 -g svc -m svc

WORKDIR /home/svc

COPY app.sh ./

RUN chmod +x app.sh

CMD ["./app.sh"]
