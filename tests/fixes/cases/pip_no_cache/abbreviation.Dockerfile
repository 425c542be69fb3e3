FROM python:3.12-slim
# pip reads a prefix of --no-cache-dir as the option: spelled out
RUN pip install --no-cache notebook
RUN python -m pip install --no-cache-di -r requirements.txt \
    && pip3 install --no-cache-d gunicorn
# the full option, and `pip download` (not an install): left as they are
RUN pip install --no-cache-dir flask && pip download --no-cache django

FROM python:3.12-alpine AS alpine
# apk's --no-cache is apk's own option: only pip's is spelled out
RUN apk add --no-cache gcc && pip install --no-cache cryptography
