FROM scratch
ENV X=app
WORKDIR $X
WORKDIR ${X}/sub/
