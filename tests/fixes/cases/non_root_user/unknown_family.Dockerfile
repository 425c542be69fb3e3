FROM mycorp/base:1
COPY app /app
CMD ["/app"]
