package main

import _ "kcheck/checks/lockorder"
