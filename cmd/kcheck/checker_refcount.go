package main

import _ "kcheck/checks/refcount"
