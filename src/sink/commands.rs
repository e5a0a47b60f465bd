//! The `commands/` table of a dataset: one row per command execution, its steps as a
//! nested list column (flattened in order, each with its depth and path), partitioned by
//! the date the execution started (Hive's null partition, `date=__HIVE_DEFAULT_PARTITION__`,
//! when it has no start).

use super::dataset::{JsonlPart, TableFile, TableFormat};
use super::parquet::{timestamp, PartitionedWriter, DATE_COLUMN};
use crate::correlate::micros;
use crate::correlate::{Execution, Step};
use arrow_array::builder::{
    ArrayBuilder, Int32Builder, Int64Builder, ListBuilder, StringBuilder, StructBuilder,
    TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The fields of one step in the `steps` list, named `step_*` so that unnesting a step
/// beside the command's own columns (`started`, `status`, `duration_ms`...) does not collide.
fn step_fields() -> Fields {
    Fields::from(vec![
        Field::new("step_name", DataType::Utf8, false),
        Field::new("step_kind", DataType::Utf8, false),
        Field::new("step_depth", DataType::Int32, false),
        Field::new("step_path", DataType::Utf8, false),
        Field::new("step_started", timestamp(), true),
        Field::new("step_duration_ms", DataType::Int64, true),
        Field::new("step_status", DataType::Utf8, false),
        Field::new("step_exit_code", DataType::Int64, true),
        Field::new("step_source", DataType::Utf8, true),
    ])
}

/// The schema of the `commands` table (with its `date` partition column).
pub fn commands_schema() -> SchemaRef {
    let step = DataType::Struct(step_fields());
    Arc::new(Schema::new(vec![
        Field::new("host", DataType::Utf8, false),
        Field::new("instance_id", DataType::Utf8, true),
        Field::new("platform", DataType::Utf8, false),
        Field::new("command", DataType::Utf8, false),
        Field::new("command_kind", DataType::Utf8, false),
        Field::new("id", DataType::Utf8, true),
        Field::new("started", timestamp(), true),
        Field::new("finished", timestamp(), true),
        Field::new("duration_ms", DataType::Int64, true),
        Field::new("status", DataType::Utf8, false),
        Field::new("returncode", DataType::Int64, true),
        Field::new("failed_step", DataType::Utf8, true),
        Field::new("error", DataType::Utf8, true),
        Field::new("event_count", DataType::Int64, false),
        Field::new(
            "steps",
            DataType::List(Arc::new(Field::new("item", step, true))),
            false,
        ),
        Field::new(
            "sources",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            false,
        ),
        Field::new(DATE_COLUMN, DataType::Utf8, true),
    ]))
}

fn date_of(execution: &Execution) -> String {
    super::dataset::date_of(execution.started.as_deref())
}

/// The command's kind on one vocabulary across platform generations: the legacy
/// `CMD-AppDeploy` and Amazon Linux 2's `app-deploy` are both `app_deploy`, `CMD-TailLogs`
/// and `tail-log` `tail_logs`, `CMD-BundleLogs` and `bundle-log` `bundle_logs`; cfn-hup's
/// `ElasticBeanstalkCommand-...` (the name of every EB command it relays) is `eb_command`.
/// Other names are written in snake case (`CMD-SqsdDeploy`: `sqsd_deploy`).
pub fn command_kind(command: &str) -> String {
    if command.starts_with("ElasticBeanstalkCommand-") {
        return "eb_command".to_owned();
    }
    let name = command.strip_prefix("CMD-").unwrap_or(command);
    let mut snake = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if c == '-' || c == '_' || c == ' ' {
            if !snake.is_empty() && !snake.ends_with('_') {
                snake.push('_');
            }
            previous_lower = false;
        } else if c.is_ascii_uppercase() {
            if previous_lower && !snake.ends_with('_') {
                snake.push('_');
            }
            snake.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else {
            snake.push(c);
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    let snake = snake.trim_end_matches('_');
    match snake {
        "tail_log" | "tail_logs" | "system_tail_logs" => "tail_logs",
        "bundle_log" | "bundle_logs" => "bundle_logs",
        "publish_log" | "publish_logs" => "publish_logs",
        "restart_app" | "restart_app_server" => "restart_app_server",
        other => other,
    }
    .to_owned()
}

/// A step flattened: the step, its depth and its path.
fn flatten<'s>(
    steps: &'s [Step],
    depth: i32,
    prefix: &str,
    out: &mut Vec<(&'s Step, i32, String)>,
) {
    for step in steps {
        let path = if prefix.is_empty() {
            step.name.clone()
        } else {
            format!("{prefix}/{}", step.name)
        };
        out.push((step, depth, path.clone()));
        flatten(&step.steps, depth + 1, &path, out);
    }
}

fn steps_builder() -> ListBuilder<StructBuilder> {
    let builders: Vec<Box<dyn ArrayBuilder>> = vec![
        Box::new(StringBuilder::new()),
        Box::new(StringBuilder::new()),
        Box::new(Int32Builder::new()),
        Box::new(StringBuilder::new()),
        Box::new(TimestampMicrosecondBuilder::new().with_timezone("UTC")),
        Box::new(Int64Builder::new()),
        Box::new(StringBuilder::new()),
        Box::new(Int64Builder::new()),
        Box::new(StringBuilder::new()),
    ];
    ListBuilder::new(StructBuilder::new(step_fields(), builders))
}

fn missing_builder() -> io::Error {
    io::Error::other("commands table: step builder of an unexpected type")
}

/// Appends one flattened step to the struct builder.
fn append_step(builder: &mut StructBuilder, step: &Step, depth: i32, path: &str) -> io::Result<()> {
    fn string(b: &mut StructBuilder, i: usize, v: Option<&str>) -> io::Result<()> {
        b.field_builder::<StringBuilder>(i)
            .ok_or_else(missing_builder)?
            .append_option(v);
        Ok(())
    }
    fn int64(b: &mut StructBuilder, i: usize, v: Option<i64>) -> io::Result<()> {
        b.field_builder::<Int64Builder>(i)
            .ok_or_else(missing_builder)?
            .append_option(v);
        Ok(())
    }
    string(builder, 0, Some(&step.name))?;
    string(builder, 1, Some(step.kind))?;
    builder
        .field_builder::<Int32Builder>(2)
        .ok_or_else(missing_builder)?
        .append_value(depth);
    string(builder, 3, Some(path))?;
    builder
        .field_builder::<TimestampMicrosecondBuilder>(4)
        .ok_or_else(missing_builder)?
        .append_option(micros(step.started.as_deref()));
    int64(builder, 5, step.duration_ms)?;
    string(builder, 6, Some(step.status.name()))?;
    int64(builder, 7, step.exit_code)?;
    let source = step
        .source
        .as_ref()
        .map(|s| format!("{}:{}", s.file, s.line));
    string(builder, 8, source.as_deref())?;
    builder.append(true);
    Ok(())
}

/// The executions as one Arrow batch of the `commands` schema.
///
/// # Errors
/// Arrow refused the columns (a bug).
pub fn commands_batch(executions: &[Execution]) -> io::Result<RecordBatch> {
    let text = |f: &dyn Fn(&Execution) -> Option<&str>| -> ArrayRef {
        let mut b = StringBuilder::new();
        for e in executions {
            b.append_option(f(e));
        }
        Arc::new(b.finish())
    };
    let int = |f: &dyn Fn(&Execution) -> Option<i64>| -> ArrayRef {
        let mut b = Int64Builder::new();
        for e in executions {
            b.append_option(f(e));
        }
        Arc::new(b.finish())
    };
    let time = |f: &dyn Fn(&Execution) -> Option<&str>| -> ArrayRef {
        let mut b = TimestampMicrosecondBuilder::new().with_timezone("UTC");
        for e in executions {
            b.append_option(micros(f(e)));
        }
        Arc::new(b.finish())
    };
    let mut steps = steps_builder();
    let mut sources = ListBuilder::new(StringBuilder::new());
    for e in executions {
        let mut flat = Vec::new();
        flatten(&e.steps, 0, "", &mut flat);
        for (step, depth, path) in flat {
            append_step(steps.values(), step, depth, &path)?;
        }
        steps.append(true);
        for s in &e.sources {
            sources
                .values()
                .append_value(format!("{}:{}", s.file, s.line));
        }
        sources.append(true);
    }
    let dates: Vec<String> = executions.iter().map(date_of).collect();
    let kinds: Vec<String> = executions
        .iter()
        .map(|e| command_kind(&e.command))
        .collect();
    let columns: Vec<ArrayRef> = vec![
        text(&|e| Some(&e.host)),
        text(&|e| e.instance_id.as_deref()),
        text(&|e| Some(e.platform)),
        text(&|e| Some(&e.command)),
        Arc::new(arrow_array::StringArray::from_iter_values(kinds)),
        text(&|e| e.id.as_deref()),
        time(&|e| e.started.as_deref()),
        time(&|e| e.finished.as_deref()),
        int(&|e| e.duration_ms),
        text(&|e| Some(e.status.name())),
        int(&|e| e.returncode),
        text(&|e| e.failed_step.as_deref()),
        text(&|e| e.error.as_deref()),
        int(&|e| i64::try_from(e.events.len()).ok()),
        Arc::new(steps.finish()),
        Arc::new(sources.finish()),
        Arc::new(arrow_array::StringArray::from_iter_values(dates)),
    ];
    RecordBatch::try_new(commands_schema(), columns).map_err(io::Error::other)
}

/// One row of the JSON-lines `commands` table.
#[derive(Serialize)]
struct Row<'e> {
    #[serde(flatten)]
    execution: &'e Execution,
    command_kind: String,
}

/// The `commands/` table of a dataset, written as executions come (a host at a time).
pub struct CommandsTable {
    dir: PathBuf,
    table: Table,
}

enum Table {
    Parquet(PartitionedWriter),
    Jsonl(BTreeMap<String, JsonlPart>),
}

impl CommandsTable {
    /// Starts `DIR/commands/`.
    ///
    /// # Errors
    /// The directory could not be created.
    pub fn new(dir: &Path, format: TableFormat) -> io::Result<Self> {
        let table_dir = dir.join("commands");
        fs::create_dir_all(&table_dir)?;
        let table = match format {
            TableFormat::Parquet => Table::Parquet(PartitionedWriter::new(
                &table_dir,
                commands_schema(),
                8 * 1024 * 1024,
            )?),
            TableFormat::Jsonl => Table::Jsonl(BTreeMap::new()),
        };
        Ok(CommandsTable {
            dir: dir.to_path_buf(),
            table,
        })
    }

    /// Appends executions.
    ///
    /// # Errors
    /// Writing failed.
    pub fn write(&mut self, executions: &[Execution]) -> io::Result<()> {
        if executions.is_empty() {
            return Ok(());
        }
        match &mut self.table {
            Table::Parquet(writer) => writer.write(&commands_batch(executions)?),
            Table::Jsonl(parts) => {
                let table_dir = self.dir.join("commands");
                for execution in executions {
                    let date = date_of(execution);
                    let part = match parts.entry(date) {
                        std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::btree_map::Entry::Vacant(e) => {
                            let part = JsonlPart::create(&table_dir, e.key())?;
                            e.insert(part)
                        }
                    };
                    let mut line = sonic_rs::to_vec(&Row {
                        execution,
                        command_kind: command_kind(&execution.command),
                    })
                    .map_err(io::Error::other)?;
                    line.push(b'\n');
                    part.write(&line, 1)?;
                }
                Ok(())
            }
        }
    }

    /// Closes the files, renames them into place and lists them.
    ///
    /// # Errors
    /// Writing or renaming failed.
    pub fn finish(self) -> io::Result<Vec<TableFile>> {
        match self.table {
            Table::Parquet(writer) => Ok(writer
                .finish()?
                .into_iter()
                .map(|f| TableFile {
                    path: f
                        .path
                        .strip_prefix(&self.dir)
                        .unwrap_or(&f.path)
                        .to_string_lossy()
                        .into_owned(),
                    rows: f.rows,
                })
                .collect()),
            Table::Jsonl(parts) => parts
                .into_values()
                .map(|part| part.finish(&self.dir))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_kinds_are_one_vocabulary_across_generations() {
        for (legacy, al2, kind) in [
            ("CMD-AppDeploy", "app-deploy", "app_deploy"),
            ("CMD-ConfigDeploy", "config-deploy", "config_deploy"),
            ("CMD-SelfStartup", "self-startup", "self_startup"),
            (
                "CMD-RestartAppServer",
                "restart-app-server",
                "restart_app_server",
            ),
            ("CMD-BundleLogs", "bundle-log", "bundle_logs"),
            ("CMD-TailLogs", "tail-log", "tail_logs"),
        ] {
            assert_eq!(command_kind(legacy), kind, "{legacy}");
            assert_eq!(command_kind(al2), kind, "{al2}");
        }
        assert_eq!(command_kind("env-launch"), "env_launch");
        assert_eq!(command_kind("CMD-SystemTailLogs"), "tail_logs");
        assert_eq!(command_kind("CMD-SqsdDeploy"), "sqsd_deploy");
        assert_eq!(
            command_kind("CMD-ImmutableDeploymentFlip"),
            "immutable_deployment_flip"
        );
        assert_eq!(
            command_kind("ElasticBeanstalkCommand-AWSEBAutoScalingGroup"),
            "eb_command"
        );
        assert_eq!(command_kind(""), "");
    }

    #[test]
    fn the_commands_table_has_the_kind_beside_the_raw_name() {
        use arrow_array::cast::AsArray;
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/eb-commandprocessor.log");
        let text = fs::read(&path).unwrap();
        let mut records = Vec::new();
        crate::pipeline::parse_buffer(
            "eb-commandprocessor.log",
            Some(&path),
            &text,
            crate::pipeline::ParseOptions::default(),
            &mut records,
        )
        .unwrap();
        let executions = crate::correlate::correlate(&records);
        assert!(!executions.is_empty());
        let batch = commands_batch(&executions).unwrap();
        let raw = batch.column_by_name("command").unwrap().as_string::<i32>();
        let kind = batch
            .column_by_name("command_kind")
            .unwrap()
            .as_string::<i32>();
        for i in 0..batch.num_rows() {
            assert_eq!(kind.value(i), command_kind(raw.value(i)));
        }
        assert!((0..batch.num_rows())
            .any(|i| raw.value(i) == "CMD-AppDeploy" && kind.value(i) == "app_deploy"));
    }
}
