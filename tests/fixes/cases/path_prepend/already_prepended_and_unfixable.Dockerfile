FROM python:3.12
ENV PATH="/opt/venv/bin:${PATH}"
ENV PATH /usr/bin:$PATH
ENV PATH="${PATH}:${HOME}/.local/bin"
