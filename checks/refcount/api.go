package refcount

import "kcheck/checks/resource"

// The reference families of docs/KERNEL-APIS.md (References). PutFrees
// says whether the release may free the object, which makes a later
// dereference a use after put.
var families = []resource.Family{
	{Name: "pm", Noun: "PM usage count reference", Scoped: true},
	{Name: "of_node", Noun: "device_node reference", PutFrees: true},
	{Name: "device", Noun: "device reference", PutFrees: true},
	{Name: "kobject", Noun: "kobject reference", PutFrees: true},
	{Name: "kref", Noun: "kref reference", PutFrees: true},
	{Name: "usb_dev", Noun: "usb_device reference", PutFrees: true},
	{Name: "usb_intf", Noun: "usb_interface reference", PutFrees: true},
	{Name: "urb", Noun: "urb reference", PutFrees: true},
	{Name: "pci_dev", Noun: "pci_dev reference", PutFrees: true},
	{Name: "fwnode", Noun: "fwnode reference", PutFrees: true},
	{Name: "netdev", Noun: "net_device reference"},
	{Name: "module", Noun: "module reference"},
	{Name: "i2c_adapter", Noun: "i2c_adapter reference", PutFrees: true},
	{Name: "task", Noun: "task_struct reference", PutFrees: true},
}

const none = resource.NoSlot

// ret builds an acquire whose result is the referenced object or NULL.
func ret(fn, fam string, drops resource.Slot, doc string) resource.Acquire {
	return resource.Acquire{Func: fn, Family: fam, Object: resource.Ret, When: resource.OnSuccess, Fail: resource.FailNull, Drops: drops, ReturnsArg: none, Doc: doc}
}

// get builds an acquire that takes a reference on its argument and
// returns it (of_node_get, get_device).
func get(fn, fam string) resource.Acquire {
	return resource.Acquire{Func: fn, Family: fam, Object: resource.Ret, When: resource.Always, Fail: resource.FailNone, Drops: none, ReturnsArg: resource.Arg(0),
		Doc: "takes a reference on its argument and returns it"}
}

// onArg builds an acquire of a count on argument 0.
func onArg(fn, fam string, when resource.HoldWhen, fail resource.FailTest, doc string) resource.Acquire {
	return resource.Acquire{Func: fn, Family: fam, Object: resource.Arg(0), When: when, Fail: fail, Drops: none, ReturnsArg: none, Doc: doc}
}

func rel(fam string, arg int, fns ...string) []resource.Release {
	var out []resource.Release
	for _, f := range fns {
		out = append(out, resource.Release{Func: f, Family: fam, Arg: arg})
	}
	return out
}

const findDoc = "returns a referenced node or NULL"
const fromDoc = "returns a referenced node or NULL and drops the reference on from"
const prevDoc = "returns the next referenced node or NULL and drops the reference on prev: leaving a for_each loop early keeps one"

// builtinSpec is the reference API table. Names are as they survive
// preprocessing (static inlines such as pm_runtime_get_sync and the
// CONFIG_OF=n of_* stubs stay calls).
func builtinSpec() resource.Spec {
	s := resource.Spec{Families: families}
	a := func(x ...resource.Acquire) { s.Acquires = append(s.Acquires, x...) }
	r := func(x ...[]resource.Release) {
		for _, y := range x {
			s.Releases = append(s.Releases, y...)
		}
	}
	// Runtime PM usage count.
	a(onArg("pm_runtime_get_sync", "pm", resource.Always, resource.FailNegative, "raises the usage count EVEN WHEN IT FAILS (< 0): the error path must put"),
		onArg("pm_runtime_resume_and_get", "pm", resource.OnSuccess, resource.FailNonZero, "raises the usage count only when it returns 0"),
		onArg("pm_runtime_get", "pm", resource.Always, resource.FailNone, "raises the usage count (asynchronous resume)"),
		onArg("pm_runtime_get_noresume", "pm", resource.Always, resource.FailNone, "raises the usage count"),
		onArg("pm_runtime_get_if_in_use", "pm", resource.OnSuccess, resource.FailNonPositive, "raises the usage count only when it returns > 0"),
		onArg("pm_runtime_get_if_active", "pm", resource.OnSuccess, resource.FailNonPositive, "raises the usage count only when it returns > 0"))
	a(onArg("usb_autopm_get_interface", "pm", resource.OnSuccess, resource.FailNonZero, "raises the interface's usage count only when it returns 0"),
		onArg("usb_autopm_get_interface_async", "pm", resource.OnSuccess, resource.FailNonZero, "raises the interface's usage count only when it returns 0"),
		onArg("usb_autopm_get_interface_no_resume", "pm", resource.Always, resource.FailNone, "raises the interface's usage count"))
	r(rel("pm", 0, "usb_autopm_put_interface", "usb_autopm_put_interface_async", "usb_autopm_put_interface_no_suspend"))
	r(rel("pm", 0, "pm_runtime_put", "pm_runtime_put_sync", "pm_runtime_put_autosuspend", "pm_runtime_put_sync_autosuspend",
		"pm_runtime_put_noidle", "pm_runtime_put_sync_suspend"))

	// Device tree nodes.
	a(get("of_node_get", "of_node"))
	for _, fn := range []string{"of_find_node_by_name", "of_find_node_by_type", "of_find_compatible_node", "of_find_matching_node",
		"of_find_matching_node_and_match", "of_find_node_with_property", "of_find_all_nodes", "of_get_next_parent", "of_get_next_cpu_node"} {
		a(ret(fn, "of_node", resource.Arg(0), fromDoc))
	}
	for _, fn := range []string{"of_find_node_by_path", "of_find_node_opts_by_path", "of_find_node_by_phandle", "of_get_parent",
		"of_get_child_by_name", "of_get_compatible_child", "of_parse_phandle", "of_graph_get_remote_node", "of_graph_get_port_by_id",
		"of_graph_get_remote_port_parent", "of_graph_get_remote_endpoint", "of_graph_get_remote_port", "of_graph_get_port_parent",
		"of_get_cpu_node", "of_cpu_device_node_get", "of_graph_get_endpoint_by_regs"} {
		a(ret(fn, "of_node", none, findDoc))
	}
	for _, fn := range []string{"of_get_next_child", "of_get_next_available_child", "of_graph_get_next_endpoint"} {
		a(ret(fn, "of_node", resource.Arg(1), prevDoc))
	}
	for fn, arg := range map[string]int{"__of_parse_phandle_with_args": 5, "of_parse_phandle_with_args": 4, "of_parse_phandle_with_fixed_args": 4, "of_parse_phandle_with_optional_args": 4} {
		a(resource.Acquire{Func: fn, Family: "of_node", Object: resource.Arg(arg), Out: true, OutField: "np", When: resource.OnSuccess,
			Fail: resource.FailNonZero, Drops: none, ReturnsArg: none, Doc: "stores a referenced node into out_args->np when it returns 0"})
	}
	r(rel("of_node", 0, "of_node_put"))

	// Driver model devices.
	a(get("get_device", "device"))
	for _, fn := range []string{"bus_find_device", "bus_find_device_by_name", "bus_find_device_by_of_node", "bus_find_device_by_fwnode",
		"bus_find_device_by_devt", "bus_find_device_by_acpi_dev", "class_find_device", "class_find_device_by_name",
		"class_find_device_by_of_node", "class_find_device_by_fwnode", "class_find_device_by_devt", "device_find_child",
		"device_find_child_by_name", "driver_find_device", "driver_find_device_by_name", "driver_find_device_by_of_node",
		"driver_find_device_by_fwnode", "driver_find_device_by_devt", "of_find_device_by_node", "of_find_i2c_device_by_node",
		"bus_find_next_device"} {
		a(ret(fn, "device", none, "returns a referenced device or NULL"))
	}
	a(onArg("device_register", "device", resource.OnFailure, resource.FailNonZero, "a failed registration must be undone with put_device(), not kfree()"))
	r(rel("device", 0, "put_device", "platform_device_put", "device_unregister"))

	// kobjects and krefs.
	a(get("kobject_get", "kobject"),
		onArg("kobject_init_and_add", "kobject", resource.OnFailure, resource.FailNonZero, "a failure must be undone with kobject_put(), not kfree()"),
		ret("kobject_create_and_add", "kobject", none, "returns a new kobject or NULL"),
		onArg("kref_get", "kref", resource.Always, resource.FailNone, "takes a reference"))
	r(rel("kobject", 0, "kobject_put"), rel("kref", 0, "kref_put", "kref_put_mutex", "kref_put_lock"))

	// USB.
	a(get("usb_get_dev", "usb_dev"), get("usb_get_intf", "usb_intf"), get("usb_get_urb", "urb"),
		ret("usb_alloc_urb", "urb", none, "returns a new urb or NULL"))
	// A usb_device is a device: either put drops the reference either
	// get took (usbdev_lookup_by_devt's bus_find_device reference is
	// dropped with usb_put_dev).
	r(rel("device", 0, "usb_put_dev"), rel("usb_dev", 0, "put_device"))
	r(rel("usb_dev", 0, "usb_put_dev"), rel("usb_intf", 0, "usb_put_intf"), rel("urb", 0, "usb_free_urb"))

	// PCI.
	a(get("pci_dev_get", "pci_dev"),
		ret("pci_get_device", "pci_dev", resource.Arg(2), "returns a referenced pci_dev or NULL; drops from"),
		ret("pci_get_subsys", "pci_dev", resource.Arg(4), "returns a referenced pci_dev or NULL; drops from"),
		ret("pci_get_class", "pci_dev", resource.Arg(1), "returns a referenced pci_dev or NULL; drops from"),
		ret("pci_get_slot", "pci_dev", none, "returns a referenced pci_dev or NULL"),
		ret("pci_get_domain_bus_and_slot", "pci_dev", none, "returns a referenced pci_dev or NULL"))
	r(rel("pci_dev", 0, "pci_dev_put"))

	// Firmware nodes.
	a(get("fwnode_handle_get", "fwnode"),
		ret("device_get_named_child_node", "fwnode", none, findDoc),
		ret("fwnode_get_named_child_node", "fwnode", none, findDoc),
		ret("fwnode_get_parent", "fwnode", none, findDoc),
		ret("device_get_next_child_node", "fwnode", resource.Arg(1), prevDoc),
		ret("fwnode_get_next_child_node", "fwnode", resource.Arg(1), prevDoc),
		ret("fwnode_get_next_available_child_node", "fwnode", resource.Arg(1), prevDoc),
		resource.Acquire{Func: "fwnode_find_reference", Family: "fwnode", Object: resource.Ret, When: resource.OnSuccess, Fail: resource.FailErrPtr,
			Drops: none, ReturnsArg: none, Doc: "returns a referenced fwnode or an ERR_PTR"})
	r(rel("fwnode", 0, "fwnode_handle_put"))

	// Network devices, modules, i2c adapters, tasks.
	a(onArg("dev_hold", "netdev", resource.Always, resource.FailNone, "takes a reference"),
		onArg("netdev_hold", "netdev", resource.Always, resource.FailNone, "takes a reference"),
		onArg("try_module_get", "module", resource.OnSuccess, resource.FailZero, "takes a reference only when it returns true"),
		onArg("__module_get", "module", resource.Always, resource.FailNone, "takes a reference"),
		ret("i2c_get_adapter", "i2c_adapter", none, "returns a referenced adapter or NULL"),
		ret("of_find_i2c_adapter_by_node", "i2c_adapter", none, "returns a referenced adapter or NULL"),
		ret("of_get_i2c_adapter_by_node", "i2c_adapter", none, "returns a referenced adapter or NULL"),
		get("get_task_struct", "task"))
	r(rel("netdev", 0, "dev_put", "netdev_put"), rel("module", 0, "module_put"), rel("i2c_adapter", 0, "i2c_put_adapter"),
		rel("task", 0, "put_task_struct"))

	// Functions that take ownership of what they are given (list
	// insertion, driver-data setters, URB buffers and contexts): the
	// engine's list shared with the dma checker.
	s.Handoffs = append(s.Handoffs, resource.DefaultHandoffs()...)
	// Registering a device makes the function its constructor: an error
	// return leaves the unregistered device to its caller to discard.
	s.Registrations = []resource.Registration{
		{Func: "device_add", Arg: 0, Doc: "registers the device (its caller discards it on failure)"},
		{Func: "device_register", Arg: 0, Doc: "initializes and registers the device"},
	}
	s.Predicates = []resource.Predicate{{Func: "IS_ERR", Arg: 0}, {Func: "IS_ERR_OR_NULL", Arg: 0, NullToo: true}}
	return s
}
