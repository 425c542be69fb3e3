from golang:1.23 as Build
run go build -o /app .
from alpine:3.20
copy --from=Build /app /app