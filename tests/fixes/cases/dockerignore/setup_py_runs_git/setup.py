import subprocess

from setuptools import setup


def version() -> str:
    out = subprocess.check_output(["git", "describe", "--tags"], text=True)
    return out.strip().lstrip("v")


setup(name="mypkg", version=version(), packages=["mypkg"])
