from a as x
from b as X