FROM gcr.io/distroless/python3
COPY app.py /
CMD ["app.py"]
