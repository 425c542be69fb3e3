FROM myorg/base:1.0
RUN apt-get update && apt-get install -y curl
RUN curl -fsSL https://example.com/x | sh
RUN apt-get purge -y bash
CMD ["app"]
