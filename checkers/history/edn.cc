#include "edn.h"
