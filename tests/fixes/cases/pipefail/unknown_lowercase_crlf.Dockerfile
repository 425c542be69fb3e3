arg BASE=myorg/base
from ${BASE}:2
run if [ -n "$X" ]; then echo x; fi && apt-get update && apt-get install -y curl \
  && curl -fsSL https://example.com/k.asc | gpg --dearmor -o /usr/share/keyrings/k.gpg
run curl -fsSL https://example.com/y | sh
cmd ["app"]