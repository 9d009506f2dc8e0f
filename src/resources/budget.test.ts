import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TypeBudget, validateBudget } from "./budget.js";
import { ResourcePressure, ResourcePriority, ResourceType } from "./types.js";

const budgetOf = (maxBytes: number, extra = {}) => {
  const b = new TypeBudget(ResourceType.Memory);
  b.configure(validateBudget(ResourceType.Memory, { maxBytes, ...extra }));
  return b;
};

describe("TypeBudget", () => {
  it("walks the pressure levels at the documented thresholds (75/90: 37.5, 75, 82.5, 90 %)", () => {
    const levels: number[] = [];
    for (const used of [0, 374, 375, 749, 750, 824, 825, 899, 900, 1000]) {
      const b = budgetOf(1000);
      if (used > 0) b.charge(used);
      levels.push(b.level);
    }
    assert.deepEqual(levels, [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it("an unlimited budget never reports pressure and always fits", () => {
    const b = new TypeBudget(ResourceType.Hardware);
    b.charge(Number.MAX_SAFE_INTEGER);
    assert.equal(b.level, ResourcePressure.None);
    assert.equal(b.fits(1, ResourcePriority.Low), true);
  });

  it("equal warning and critical percents skip straight to critical", () => {
    const b = budgetOf(100, { warningPercent: 80, criticalPercent: 80 });
    b.charge(79);
    assert.equal(b.level, ResourcePressure.Low);
    b.charge(1);
    assert.equal(b.level, ResourcePressure.Critical);
  });

  it("keeps the reserve for High and Critical priority and reports the shortfall", () => {
    const b = budgetOf(100, { reservedBytes: 20 });
    b.charge(70);
    assert.equal(b.fits(10, ResourcePriority.Normal), true);
    assert.equal(b.fits(11, ResourcePriority.Normal), false);
    assert.equal(b.shortfall(15, ResourcePriority.Low), 5);
    assert.equal(b.fits(30, ResourcePriority.High), true);
    assert.equal(b.fits(31, ResourcePriority.Critical), false);
    assert.equal(b.shortfall(10, ResourcePriority.High), 0);
  });

  it("host pressure raises the effective level without touching usage", () => {
    const b = budgetOf(100);
    b.hostLevel = ResourcePressure.High;
    assert.equal(b.effectiveLevel(), ResourcePressure.High);
    b.charge(95);
    assert.equal(b.effectiveLevel(), ResourcePressure.Critical);
    assert.equal(b.stats().currentUsage, 95);
  });
});
