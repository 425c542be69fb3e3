# escape=`
FROM ubuntu:24.04
RUN curl -fsSL https://example.com/x `
    | tar -xz -C C:\tools
CMD ["app"]
