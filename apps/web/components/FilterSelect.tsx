"use client";

interface Props {
  name: string;
  label: string;
  value: string | undefined;
  options: readonly { value: string; label: string }[];
  /** Offer an "all" choice (the empty value), labelled `allLabel`. */
  allowAll?: boolean;
  allLabel?: string;
}

/** A filter that applies as soon as it changes (the form's Apply button covers no-JS browsers). */
export function FilterSelect({ name, label, value, options, allowAll = true, allLabel = "All" }: Props) {
  return (
    <label className="filter">
      <span className="filter-label">{label}</span>
      <select
        name={name}
        defaultValue={value ?? ""}
        data-testid={`filter-${name}`}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
      >
        {allowAll && <option value="">{allLabel}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
