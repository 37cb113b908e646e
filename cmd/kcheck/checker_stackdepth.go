package main

import _ "kcheck/checks/stackdepth"
