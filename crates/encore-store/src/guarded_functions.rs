//! Text functions whose answer can be far larger than their input (`repeat`, `lpad`, `rpad`),
//! wrapped so that they refuse, before allocating, an answer larger than the query's memory limit:
//! the engine's memory pool does not see what a function allocates, so `repeat('x', 500000000)`
//! would otherwise build half a gigabyte regardless of it.

use std::sync::Arc;

use datafusion::arrow::array::{Array, Int64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::compute::kernels::length::length;
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
};
use datafusion::prelude::SessionContext;

/// How a function's answer grows with its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Growth {
    /// `repeat(text, n)`: the text's bytes times n.
    Repeat,
    /// `lpad(text, n, …)`, `rpad`: n characters of at most 4 bytes.
    Pad,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Guarded {
    inner: Arc<ScalarUDF>,
    growth: Growth,
    limit_bytes: usize,
}

/// Replaces `repeat`, `lpad` and `rpad` in `context` by versions bounded by `limit_bytes` per batch.
pub(crate) fn register(context: &SessionContext, limit_bytes: usize) {
    let functions = [
        (datafusion::functions::string::repeat(), Growth::Repeat),
        (datafusion::functions::unicode::lpad(), Growth::Pad),
        (datafusion::functions::unicode::rpad(), Growth::Pad),
    ];
    for (inner, growth) in functions {
        context.register_udf(ScalarUDF::new_from_impl(Guarded { inner, growth, limit_bytes }));
    }
}

impl Guarded {
    /// An upper bound on the bytes the call would allocate for this batch.
    fn answer_bytes(&self, args: &ScalarFunctionArgs) -> Result<u128> {
        let rows = args.number_rows.max(1);
        let counts = match args.args.get(1) {
            Some(count) => as_int64(&count.to_array(rows)?)?,
            None => return Ok(0),
        };
        let text_bytes = match (self.growth, args.args.first()) {
            (Growth::Repeat, Some(text)) => Some(as_int64(&length(&text.to_array(rows)?)?)?),
            _ => None,
        };
        let mut total: u128 = 0;
        for row in 0..counts.len() {
            let count = if counts.is_null(row) { 0 } else { counts.value(row).max(0) as u128 };
            let unit = match &text_bytes {
                Some(lengths) if lengths.is_null(row) => 0,
                Some(lengths) => lengths.value(row).max(0) as u128,
                None => 4,
            };
            total = total.saturating_add(count.saturating_mul(unit));
        }
        Ok(total)
    }
}

fn as_int64(array: &dyn Array) -> Result<Int64Array> {
    let converted = cast(array, &DataType::Int64)?;
    converted
        .as_any()
        .downcast_ref::<Int64Array>()
        .cloned()
        .ok_or_else(|| DataFusionError::Internal("a cast to Int64 gave another type".to_string()))
}

impl ScalarUDFImpl for Guarded {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn aliases(&self) -> &[String] {
        self.inner.aliases()
    }

    fn signature(&self) -> &Signature {
        self.inner.signature()
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        self.inner.return_type(arg_types)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        self.inner.return_field_from_args(args)
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        self.inner.coerce_types(arg_types)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.inner.documentation()
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let bytes = self.answer_bytes(&args)?;
        if bytes > self.limit_bytes as u128 {
            return Err(DataFusionError::ResourcesExhausted(format!(
                "{}(…) would build {} MiB of text",
                self.inner.name(),
                bytes / (1024 * 1024)
            )));
        }
        self.inner.invoke_with_args(args)
    }
}
