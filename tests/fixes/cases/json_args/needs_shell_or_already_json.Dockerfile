FROM alpine
CMD echo $HOME
CMD cd /app && ./run
CMD app > /var/log/app.log
CMD ls *.txt
CMD echo "hi there"
CMD FOO=1 app
CMD exec app
CMD ["app", "--x"]
ONBUILD CMD app
