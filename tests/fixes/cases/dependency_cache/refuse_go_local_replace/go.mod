module example.com/app

go 1.23

require example.com/common v0.0.0

replace (
	example.com/common => ./common
)
