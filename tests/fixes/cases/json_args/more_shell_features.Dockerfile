FROM alpine
CMD app | tee log
CMD app 2>&1
CMD time app
CMD ~/bin/app
CMD (app)
CMD app; app2
CMD app a\b
CMD cmd.exe /C echo %APPDATA%
CMD app --name=é
ENTRYPOINT ${APP} --serve
ENTRYPOINT source /venv/bin/activate
CMD app \

    --serve
