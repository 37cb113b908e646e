package resource

import "sort"

// defaultHandoffs are the kernel functions that take ownership of an
// object for every client of the engine: whatever the resource (a
// reference, a DMA mapping or allocation), once its handle is linked into
// a list, set as driver data, stored into an xarray or idr, given to a
// work item or thread, or attached to an URB (its buffers are released by
// the completion, its context is the completion's to drop), the path no
// longer owns it. Argument positions are 0-based.
var defaultHandoffs = map[string][]int{
	// Lists: the entry (and the object embedding it) is reachable from
	// the head; whoever unlinks it releases it.
	"list_add": {0}, "list_add_tail": {0}, "list_add_rcu": {0}, "list_add_tail_rcu": {0},
	"hlist_add_head": {0}, "hlist_add_head_rcu": {0}, "list_move": {0}, "list_move_tail": {0},
	"llist_add": {0},
	// Driver data: released by remove().
	"dev_set_drvdata": {1}, "platform_set_drvdata": {1}, "usb_set_intfdata": {1}, "i2c_set_clientdata": {1},
	"spi_set_drvdata": {1}, "pci_set_drvdata": {1}, "dev_set_drvdata_fn": {1},
	// Indexed containers.
	"xa_store": {2}, "idr_alloc": {1},
	// Deferred work and threads: the callback owns its data.
	"kthread_run": {1}, "kthread_create_on_node": {1}, "queue_work": {1}, "schedule_work": {0},
	// URBs: the transfer buffer (and a control URB's setup packet) and
	// the completion context belong to the URB.
	"usb_fill_bulk_urb": {3, 6}, "usb_fill_int_urb": {3, 6}, "usb_fill_control_urb": {3, 4, 7},
}

// DefaultHandoffs returns the hand-offs shared by every client (sorted by
// function, for determinism). Clients put them before their own entries.
func DefaultHandoffs() []Handoff {
	var names []string
	for n := range defaultHandoffs {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []Handoff
	for _, n := range names {
		for _, a := range defaultHandoffs[n] {
			out = append(out, Handoff{Func: n, Arg: a, Doc: "takes ownership of the object (shared default hand-off)"})
		}
	}
	return out
}
