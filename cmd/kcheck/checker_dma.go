package main

import _ "kcheck/checks/dma"
