FROM ubuntu:24.04 AS base
SHELL ["/bin/bash", "-c"]
RUN apt-get update

# built FROM a stage whose SHELL is bash: `source` works, nothing to report
FROM base AS build
RUN source /opt/ros/setup.bash && colcon build

# a fresh stage on the same image runs /bin/sh (dash) again
FROM ubuntu:24.04 AS other
RUN source /opt/ros/setup.bash && colcon build

# an image that sets bash as its shell
FROM cimg/python:3.12
RUN source /opt/venv/bin/activate && pip install -r requirements.txt
