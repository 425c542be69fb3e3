# A shell script continued over lines keeps its lines inside the JSON
# string (BuildKit joins them before it reads the JSON); comment lines stay.
FROM node:20-alpine
WORKDIR /app
COPY . .
CMD if [ -n "$PROXY" ]; then \
    echo "via proxy"; \
# proxychains reads the configuration written above
    node proxy.js; \
    else \
    node server.js; \
    fi
