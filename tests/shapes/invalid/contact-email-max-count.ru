# A contact value with two e-mail addresses.
# expect: Violation shapes:ContactValueShape-email sh:MaxCountConstraintComponent id:contact/kita-1-email
PREFIX schema: <https://schema.org/>
INSERT DATA {
    <https://w3id.org/seirei/id/contact/kita-1-email> schema:email "nihongo@kita.example.org" .
}
