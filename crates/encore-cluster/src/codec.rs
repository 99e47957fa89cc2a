//! How a plan travels to the cluster: Ballista's logical codec, and beside it the in-memory tables
//! Encore builds per session (an empty dataset's table, the listener plans' `airings`,
//! `zone_offsets` and `ost_songs`), carried inside the plan as Arrow IPC. The client encodes them
//! and the scheduler decodes them; the scheduler's physical plan carries their batches on to the
//! executors by itself.

use std::io::Cursor;
use std::sync::Arc;

use ballista_core::serde::BallistaLogicalExtensionCodec;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::ipc::reader::StreamReader;
use datafusion::arrow::ipc::writer::StreamWriter;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::TableProvider;
use datafusion::common::TableReference;
use datafusion::datasource::file_format::FileFormatFactory;
use datafusion::datasource::MemTable;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::TaskContext;
use datafusion::logical_expr::{Extension, LogicalPlan};
use datafusion_proto::logical_plan::LogicalExtensionCodec;

/// The first bytes of an in-memory table's encoding, so that decoding tells it from the table
/// providers Ballista's codec encodes.
const MEMORY_TABLE: &[u8] = b"encore-memory-table\0";

/// Ballista's logical codec, plus in-memory tables.
#[derive(Debug, Default)]
pub struct EncoreLogicalCodec {
    ballista: BallistaLogicalExtensionCodec,
}

/// The codec every Encore client, scheduler and executor uses.
pub fn logical_codec() -> Arc<dyn LogicalExtensionCodec> {
    Arc::new(EncoreLogicalCodec::default())
}

impl LogicalExtensionCodec for EncoreLogicalCodec {
    fn try_decode(&self, buf: &[u8], inputs: &[LogicalPlan], ctx: &TaskContext) -> Result<Extension> {
        self.ballista.try_decode(buf, inputs, ctx)
    }

    fn try_encode(&self, node: &Extension, buf: &mut Vec<u8>) -> Result<()> {
        self.ballista.try_encode(node, buf)
    }

    fn try_decode_table_provider(
        &self,
        buf: &[u8],
        table_ref: &TableReference,
        schema: SchemaRef,
        ctx: &TaskContext,
    ) -> Result<Arc<dyn TableProvider>> {
        match buf.strip_prefix(MEMORY_TABLE) {
            Some(ipc) => Ok(Arc::new(decode_memory_table(ipc, schema)?)),
            None => self.ballista.try_decode_table_provider(buf, table_ref, schema, ctx),
        }
    }

    fn try_encode_table_provider(
        &self,
        table_ref: &TableReference,
        node: Arc<dyn TableProvider>,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        match node.downcast_ref::<MemTable>() {
            Some(table) => encode_memory_table(table, buf),
            None => self.ballista.try_encode_table_provider(table_ref, node, buf),
        }
    }

    fn try_decode_file_format(&self, buf: &[u8], ctx: &TaskContext) -> Result<Arc<dyn FileFormatFactory>> {
        self.ballista.try_decode_file_format(buf, ctx)
    }

    fn try_encode_file_format(&self, buf: &mut Vec<u8>, node: Arc<dyn FileFormatFactory>) -> Result<()> {
        self.ballista.try_encode_file_format(buf, node)
    }
}

/// The table's rows as one IPC stream (its partitions are not kept: the scheduler repartitions).
fn encode_memory_table(table: &MemTable, buf: &mut Vec<u8>) -> Result<()> {
    let schema = table.schema();
    buf.extend_from_slice(MEMORY_TABLE);
    let mut writer = StreamWriter::try_new(&mut *buf, &schema)?;
    for partition in &table.batches {
        let batches = partition.try_read().map_err(|_| {
            DataFusionError::Execution("an in-memory table was being written while its plan was sent".to_string())
        })?;
        for batch in batches.iter() {
            writer.write(batch)?;
        }
    }
    writer.finish()?;
    Ok(())
}

/// The table, with one empty batch when it has no rows: the physical plan's encoding of a
/// partition without batches decodes as no partition at all, and a sort over no partition makes
/// the executor's task panic.
fn decode_memory_table(ipc: &[u8], schema: SchemaRef) -> Result<MemTable> {
    let reader = StreamReader::try_new(Cursor::new(ipc), None)?;
    let mut batches: Vec<RecordBatch> = reader.collect::<std::result::Result<_, _>>()?;
    if batches.is_empty() {
        batches.push(RecordBatch::new_empty(schema.clone()));
    }
    MemTable::try_new(schema, vec![batches])
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Int64Array, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::prelude::SessionContext;

    #[tokio::test]
    async fn an_in_memory_table_comes_back_with_its_rows() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("drama_id", DataType::Utf8, false),
            Field::new("number", DataType::Int64, true),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(vec!["goblin", "goblin", "dots"])),
                Arc::new(Int64Array::from(vec![Some(1), None, Some(16)])),
            ],
        )
        .unwrap();
        let table: Arc<dyn TableProvider> =
            Arc::new(MemTable::try_new(schema.clone(), vec![vec![batch.clone()]]).unwrap());
        let codec = EncoreLogicalCodec::default();
        let mut buf = Vec::new();
        codec.try_encode_table_provider(&TableReference::bare("airings"), table, &mut buf).unwrap();

        let context = SessionContext::new();
        let decoded = codec
            .try_decode_table_provider(&buf, &TableReference::bare("airings"), schema, &context.task_ctx())
            .unwrap();
        context.register_table("airings", decoded).unwrap();
        let rows = context.sql("SELECT * FROM airings").await.unwrap().collect().await.unwrap();
        assert_eq!(rows, vec![batch]);
    }

    #[test]
    fn an_empty_table_keeps_its_columns() {
        let schema = Arc::new(Schema::new(vec![Field::new("song_id", DataType::Utf8, true)]));
        let table: Arc<dyn TableProvider> = Arc::new(MemTable::try_new(schema.clone(), vec![vec![]]).unwrap());
        let codec = EncoreLogicalCodec::default();
        let mut buf = Vec::new();
        codec.try_encode_table_provider(&TableReference::bare("songs"), table, &mut buf).unwrap();
        let decoded = decode_memory_table(buf.strip_prefix(MEMORY_TABLE).unwrap(), schema.clone()).unwrap();
        assert_eq!(decoded.schema(), schema);
        let partitions: Vec<Vec<usize>> = decoded
            .batches
            .iter()
            .map(|partition| partition.try_read().unwrap().iter().map(RecordBatch::num_rows).collect())
            .collect();
        assert_eq!(partitions, vec![vec![0]]);
    }
}
