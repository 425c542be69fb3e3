# Jupyter's images run as jovyan, not root: nothing to report.
FROM quay.io/jupyter/scipy-notebook:2024-05-27
COPY --chown=${NB_UID}:${NB_GID} requirements.txt /tmp/
RUN pip install --no-cache-dir -r /tmp/requirements.txt
CMD ["start-notebook.py"]
