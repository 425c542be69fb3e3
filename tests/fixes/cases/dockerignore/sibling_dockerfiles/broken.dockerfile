FROM alpine
RUN <<EOF
COPY .venv /venv
