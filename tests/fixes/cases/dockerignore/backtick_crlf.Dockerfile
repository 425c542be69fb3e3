# escape=`
FROM alpine
COPY . `
    /srv/