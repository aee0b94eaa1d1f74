from django.db import migrations


def create_head(apps, schema_editor):
    from crossing.access.audit import GENESIS, head_signature

    AuditHead = apps.get_model("access", "AuditHead")
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        AuditHead.objects.create(pk=1, seq=0, hash=GENESIS, signature=head_signature(0, GENESIS))
    elif not head.signature:
        head.signature = head_signature(head.seq, head.hash)
        head.save(update_fields=["signature"])


class Migration(migrations.Migration):
    dependencies = [("access", "0005_audit_head_signature")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
