FROM golang:1.23 as build
RUN go build -o /app .
from alpine:3.20 AS runtime
From alpine:3.20 as mixed
FROM --platform=$BUILDPLATFORM alpine:3.20 As flagged
FROM build AS consistent
COPY --from=build /app /app
