// SPDX-License-Identifier: GPL-2.0
/*
 * minipm - a miniature power-managed platform driver for the kcheck test tree.
 *
 * Register access needs the block powered: every access path holds a
 * runtime PM usage reference around it. The channel layout comes from
 * the device tree node's children.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/io.h>
#include <linux/err.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>

#define MINIPM_MAX_CHANNELS	8
#define MINIPM_ID		0x6d706d31	/* "mpm1" */
#define MINIPM_AUTOSUSPEND_MS	100

#define MINIPM_REG_ID		0x00
#define MINIPM_REG_CLKGATE	0x04
#define MINIPM_REG_CHAN_EN	0x08

struct minipm {
	struct device	*dev;
	void __iomem	*base;
	struct mutex	lock;		/* serializes read-modify-write cycles */
	u32		channel_mask;
	unsigned int	nchannels;
	u32		autosuspend_ms;
};

static int minipm_read(struct minipm *pm, unsigned int reg, u32 *val)
{
	int ret;

	ret = pm_runtime_get_sync(pm->dev);
	if (ret < 0) {
		/* the usage count was raised even though the resume failed */
		pm_runtime_put_noidle(pm->dev);
		return ret;
	}

	*val = readl(pm->base + reg);

	pm_runtime_mark_last_busy(pm->dev);
	pm_runtime_put_autosuspend(pm->dev);
	return 0;
}

static int minipm_write(struct minipm *pm, unsigned int reg, u32 val)
{
	int ret;

	ret = pm_runtime_resume_and_get(pm->dev);
	if (ret)
		return ret;

	writel(val, pm->base + reg);

	pm_runtime_mark_last_busy(pm->dev);
	pm_runtime_put_autosuspend(pm->dev);
	return 0;
}

static int minipm_update_bits(struct minipm *pm, unsigned int reg,
			      u32 mask, u32 val)
{
	u32 old;
	int ret;

	mutex_lock(&pm->lock);
	ret = minipm_read(pm, reg, &old);
	if (ret)
		goto out_unlock;
	ret = minipm_write(pm, reg, (old & ~mask) | (val & mask));
out_unlock:
	mutex_unlock(&pm->lock);
	return ret;
}

/* Walks every child; each iteration drops the previous child's reference. */
static int minipm_parse_channels(struct minipm *pm, struct device_node *np)
{
	struct device_node *child;
	unsigned int n = 0;
	u32 mask = 0;
	u32 reg;

	for_each_child_of_node(np, child) {
		if (of_property_read_u32(child, "reg", &reg))
			continue;
		if (reg >= MINIPM_MAX_CHANNELS) {
			dev_warn(pm->dev, "%s: bad channel %u\n",
				 child->name, reg);
			continue;
		}
		if (!(mask & BIT(reg)))
			n++;
		mask |= BIT(reg);
	}

	pm->channel_mask = mask;
	pm->nchannels = n;
	return n ? 0 : -ENODEV;
}

/* The optional supply node must point at a compatible power domain. */
static int minipm_check_supply(struct minipm *pm)
{
	struct device_node *np, *domain;
	int ret = 0;

	np = of_find_node_by_name(NULL, "minipm-supply");
	if (!np)
		return 0;

	domain = of_parse_phandle(np, "power-domains", 0);
	if (!domain) {
		ret = -EINVAL;
		goto out_put_np;
	}

	if (!of_device_is_compatible(domain, "kcheck,mini-domain"))
		ret = -ENODEV;

	of_node_put(domain);
out_put_np:
	of_node_put(np);
	return ret;
}

static void minipm_read_config(struct minipm *pm)
{
	struct device_node *cfg;

	pm->autosuspend_ms = MINIPM_AUTOSUSPEND_MS;

	cfg = of_get_child_by_name(pm->dev->of_node, "config");
	if (!cfg)
		return;

	of_property_read_u32(cfg, "autosuspend-delay-ms", &pm->autosuspend_ms);
	of_node_put(cfg);
}

static int minipm_runtime_suspend(struct device *dev)
{
	struct minipm *pm = dev_get_drvdata(dev);

	writel(1, pm->base + MINIPM_REG_CLKGATE);
	return 0;
}

static int minipm_runtime_resume(struct device *dev)
{
	struct minipm *pm = dev_get_drvdata(dev);

	writel(0, pm->base + MINIPM_REG_CLKGATE);
	return 0;
}

static int minipm_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct minipm *pm;
	u32 id;
	int ret;

	pm = devm_kzalloc(dev, sizeof(*pm), GFP_KERNEL);
	if (!pm)
		return -ENOMEM;
	pm->dev = dev;
	mutex_init(&pm->lock);

	pm->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(pm->base))
		return PTR_ERR(pm->base);

	ret = minipm_parse_channels(pm, dev->of_node);
	if (ret) {
		dev_err(dev, "no usable channels\n");
		return ret;
	}

	ret = minipm_check_supply(pm);
	if (ret)
		return ret;

	minipm_read_config(pm);
	platform_set_drvdata(pdev, pm);

	pm_runtime_set_autosuspend_delay(dev, pm->autosuspend_ms);
	pm_runtime_use_autosuspend(dev);
	pm_runtime_enable(dev);

	ret = minipm_read(pm, MINIPM_REG_ID, &id);
	if (ret)
		goto err_disable;
	if (id != MINIPM_ID) {
		dev_err(dev, "unknown id %08x\n", id);
		ret = -ENODEV;
		goto err_disable;
	}

	ret = minipm_update_bits(pm, MINIPM_REG_CHAN_EN, GENMASK(7, 0),
				 pm->channel_mask);
	if (ret)
		goto err_disable;

	dev_info(dev, "%u channels\n", pm->nchannels);
	return 0;

err_disable:
	pm_runtime_disable(dev);
	pm_runtime_dont_use_autosuspend(dev);
	return ret;
}

static int minipm_remove(struct platform_device *pdev)
{
	struct minipm *pm = platform_get_drvdata(pdev);

	minipm_update_bits(pm, MINIPM_REG_CHAN_EN, GENMASK(7, 0), 0);
	pm_runtime_disable(&pdev->dev);
	pm_runtime_dont_use_autosuspend(&pdev->dev);
	return 0;
}

static const struct dev_pm_ops minipm_pm_ops = {
	SET_RUNTIME_PM_OPS(minipm_runtime_suspend, minipm_runtime_resume, NULL)
};

static const struct of_device_id minipm_of_match[] = {
	{ .compatible = "kcheck,minipm" },
	{ }
};
MODULE_DEVICE_TABLE(of, minipm_of_match);

static struct platform_driver minipm_driver = {
	.probe		= minipm_probe,
	.remove		= minipm_remove,
	.driver		= {
		.name		= "minipm",
		.of_match_table	= of_match_ptr(minipm_of_match),
		.pm		= pm_ptr(&minipm_pm_ops),
	},
};
module_platform_driver(minipm_driver);

MODULE_DESCRIPTION("Miniature runtime PM platform driver (kcheck test tree)");
MODULE_LICENSE("GPL");
