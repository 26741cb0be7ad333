//! The engine's filters that take a column by name — `map(attribute=…)`, `selectattr`,
//! `rejectattr`, `sum`, `sort`, `groupby`, `unique`, `min`, `max`, `join` — checked before they
//! run. Over a table's rows, the engine reads a column the table lacks as undefined values,
//! which add up to 0, join as nothing and never pass a test: a misspelt column would silently
//! zero a figure. Here it is an error naming the column and the ones the table has.

use minijinja::filters;
use minijinja::value::{Kwargs, Rest, ValueOrKwargs, from_args};
use minijinja::{Environment, Error, ErrorKind, State, Value};

type Checked = (&'static str, Option<usize>, fn() -> Value);

/// Each checked filter: its name, where its column may stand among the arguments after the
/// value (besides `attribute=`, which all of them take), and the engine's own filter.
const FILTERS: &[Checked] = &[
    ("map", None, || Value::from_function(filters::map)),
    ("selectattr", Some(0), || {
        Value::from_function(filters::selectattr)
    }),
    ("rejectattr", Some(0), || {
        Value::from_function(filters::rejectattr)
    }),
    ("sum", Some(0), || Value::from_function(filters::sum)),
    ("sort", None, || Value::from_function(filters::sort)),
    ("groupby", Some(0), || {
        Value::from_function(filters::groupby)
    }),
    ("unique", None, || Value::from_function(filters::unique)),
    ("min", None, || Value::from_function(filters::min)),
    ("max", None, || Value::from_function(filters::max)),
    ("join", Some(1), || Value::from_function(filters::join)),
];

pub fn register(env: &mut Environment<'static>) {
    for &(name, position, builtin) in FILTERS {
        let builtin = builtin();
        env.add_filter(
            name,
            move |state: &mut State, args: Rest<ValueOrKwargs>| -> Result<Value, Error> {
                let args = args.into_values();
                check(name, position, &args)?;
                if name == "join"
                    && let Some(joined) = super::filters::join_printed(&args)?
                {
                    return Ok(joined);
                }
                builtin.call(state, &args)
            },
        );
    }
}

/// An error when the filter's column is one the rows it is given do not have.
fn check(filter: &str, position: Option<usize>, args: &[Value]) -> Result<(), Error> {
    let Some((value, rest)) = args.split_first() else {
        return Ok(());
    };
    let (positional, kwargs): (&[Value], Kwargs) = from_args(rest)?;
    let named = kwargs.get::<Option<Value>>("attribute")?;
    let Some(attribute) = named
        .or_else(|| position.and_then(|i| positional.get(i).cloned()))
        .filter(|c| !c.is_undefined() && !c.is_none())
    else {
        return Ok(());
    };
    let Some(attribute) = attribute.as_str() else {
        return Ok(());
    };
    // `sort(attribute="日期, 活动名称")` sorts by several columns; `map(attribute="日期.year")`
    // reads a column, then something of it.
    let columns: Vec<&str> = match filter {
        "sort" => attribute.split(',').collect(),
        _ => vec![attribute],
    }
    .into_iter()
    .map(|c| c.trim().split('.').next().unwrap_or_default())
    .collect();
    let Ok(items) = value.try_iter() else {
        return Ok(());
    };
    // A blank cell compared by size (`selectattr("参与人数", "lt", 100)`) is less than any
    // number to the engine: counted, silently.
    let test = match filter {
        "selectattr" | "rejectattr" => positional.get(1).and_then(Value::as_str),
        _ => None,
    }
    .filter(|test| {
        matches!(
            *test,
            "lt" | "le" | "gt" | "ge" | "<" | "<=" | ">" | ">=" | "lessthan" | "greaterthan"
        )
    });
    // Only a table's rows are checked (a record's keys vary from sheet to sheet), and the
    // columns once for each table: its rows share them.
    let mut checked = None;
    for item in items {
        let Some(table) = crate::context::table_of(&item) else {
            continue;
        };
        if checked != Some(table) {
            for column in &columns {
                if let Some(known) = crate::context::columns_lacking(&item, column) {
                    return Err(lacking(filter, column, &known));
                }
            }
            checked = Some(table);
        }
        if let Some(test) = test
            && let Some(at) = crate::context::blank_cell(&item, columns[0])
        {
            let column = columns[0];
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!(
                    "{filter} 用“{test}”比较列“{column}”的大小，但 {at} 是空的（选填的单元格没有填），空值没有大小。请先用 selectattr(\"{column}\") 筛掉空的行"
                ),
            ));
        }
    }
    Ok(())
}

/// The error for a column the rows do not have, with the ones they have.
fn lacking(filter: &str, column: &str, known: &[String]) -> Error {
    let candidates: Vec<&str> = known.iter().map(String::as_str).collect();
    let guess = crate::suggest::did_you_mean(column, &candidates)
        .map(|g| format!("；{g}"))
        .unwrap_or_default();
    Error::new(
        ErrorKind::InvalidOperation,
        format!(
            "{filter} 用到的列“{column}”在表中没有（表中的列：{}{guess}）",
            known.join("、")
        ),
    )
}

#[cfg(test)]
mod tests {
    use minijinja::Environment;

    fn render(source: &str) -> Result<String, minijinja::Error> {
        let mut env = Environment::new();
        super::super::filters::register(&mut env);
        super::register(&mut env);
        env.render_str(source, ())
    }

    #[test]
    fn join_prints_its_items_as_they_print_alone() {
        assert_eq!(
            render("{{ [10 / 5, 0.1 + 0.2, true, 12] | join('、') }}").unwrap(),
            "2、0.3、是、12"
        );
        assert_eq!(
            render("{{ [10 / 5, 0.1 + 0.2] | join_cn }}").unwrap(),
            "2、0.3"
        );
        assert_eq!(
            render("{{ [{'n': 1.5}, {'n': 2}] | join('/', attribute='n') }}").unwrap(),
            "1.5/2"
        );
        assert_eq!(
            render("{{ {'甲': 1, '乙': 2} | items | join('、', attribute='0') }}").unwrap(),
            "甲、乙"
        );
        // Text joins its characters, as the engine's join does.
        assert_eq!(render("{{ '县委办' | join('-') }}").unwrap(), "县-委-办");
        let blank = render("{{ [1, none, 3] | join('、') }}").unwrap_err();
        assert!(
            blank.to_string().contains("join 的第 2 项是空值"),
            "{blank}"
        );
    }

    #[test]
    fn round_takes_a_half_up_as_people_do() {
        for (expression, expected) in [
            ("2.5 | round", 3.0),
            ("0.5 | round", 1.0),
            ("-2.5 | round", -3.0),
            ("2.675 | round(2)", 2.68),
            ("2.5 | round(method='floor')", 2.0),
            ("2.1 | round(method='ceil')", 3.0),
            ("0.29 | round(2, 'floor')", 0.29),
            ("1.1 | round(precision=2, method='ceil')", 1.1),
            ("1234 | round(-2)", 1200.0),
            ("-0.5 | round", -1.0),
        ] {
            assert_eq!(
                render(&format!("{{{{ ({expression}) == {expected} }}}}")).unwrap(),
                "True",
                "{expression}"
            );
        }
        assert!(render("{{ '12人' | round }}").is_err());
        // An integer stays exact; a whole number comes out an integer, printed without `.0`.
        assert_eq!(
            render("{{ 123456789012345678 | round }}").unwrap(),
            "123456789012345678"
        );
        assert_eq!(render("{{ (2.5 | round) ~ '项' }}").unwrap(), "3项");
        assert_eq!(render("{{ 2.5 | round is integer }}").unwrap(), "True");
    }
}
