# A command continued over lines, with a variable: `exec` goes in front and
# the lines stay (CRLF endings kept).
FROM python:3.12-slim
WORKDIR /app
COPY . .
ENV PORT=8000
CMD python -u app.py \
    --port ${PORT} \
    --workers 2
