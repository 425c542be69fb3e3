from scratch
env A=1
label b=$B
volume $A $C