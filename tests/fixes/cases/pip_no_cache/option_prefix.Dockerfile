FROM python:3.12-slim
# pip reads --no-cache as --no-cache-dir (a unique prefix): nothing to add
RUN pip install --no-cache flask
RUN pip install gunicorn
CMD ["flask"]
