# kcheck: a thin wrapper over go commands.
SHARED   ?= ../shared
CACHE    ?= $(HOME)/.cache/kcheck
# A Linux 6.1 tree with drivers/usb built (compile_commands.json, .cmd files).
LINUX    ?= $(CACHE)/linux-6.1/linux-source-6.1
# The same source with only `make prepare` run (synthesized flags).
LINUX_PREPARED ?= $(CACHE)/linux-6.1-prepared/linux-source-6.1
GO       ?= go

.PHONY: all build demo test lint bench e2e-linux linux-tree clean

all: build

build:
	$(GO) build -o kcheck ./cmd/kcheck

# The README's first command: build kcheck and run it on the miniature tree.
demo: build
	./kcheck --stats testdata/minikernel/drivers; test $$? -le 1

test:
	$(GO) vet ./...
	$(GO) test ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

linux-tree:
	$(SHARED)/kernel/prepare-tree.sh $(CACHE)/linux-6.1 drivers/usb
	$(SHARED)/kernel/prepare-tree.sh $(CACHE)/linux-6.1-prepared

# End-to-end on a real kernel tree: unit counts with compile_commands.json,
# with kbuild .cmd files only, and with synthesized flags.
e2e-linux: linux-tree
	KCHECK_LINUX=$(LINUX) KCHECK_LINUX_PREPARED=$(LINUX_PREPARED) \
		$(GO) test -count=1 -timeout 60m -run 'TestE2ELinux' -v ./cmd/kcheck

# Wall time and peak RSS of kcheck --stats on drivers/usb next to sparse and
# gcc -fsyntax-only on the same units, measured in one run.
bench: build
	test -f $(LINUX)/compile_commands.json || $(MAKE) linux-tree
	$(GO) run ./cmd/kcheck-bench -kcheck ./kcheck -tree $(LINUX) -j 2 drivers/usb

clean:
	rm -f kcheck
