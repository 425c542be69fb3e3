# escape=`
FROM myorg/base:1.0
SHELL ["/bin/sh", "-c"]
CMD app `
    | tee log
