FROM python:3.12-slim
CMD gunicorn app:app --bind 0.0.0.0:$PORT
ENTRYPOINT ./migrate && exec gunicorn app:app --bind "0.0.0.0:${PORT:-8000}"
CMD python manage.py migrate; python manage.py runserver 0.0.0.0:$PORT
CMD trap 'echo bye' TERM; app
CMD app & wait
CMD if [ -n "$X" ]; then app; fi
CMD $APP --serve
cmd uvicorn main:app \
    --port $PORT
CMD prog --pid $$
