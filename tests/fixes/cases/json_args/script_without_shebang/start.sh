echo starting
exec sleep infinity
