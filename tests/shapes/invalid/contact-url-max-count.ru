# A contact value with two URLs.
# expect: Violation shapes:ContactValueShape-url sh:MaxCountConstraintComponent id:contact/kita-1-url
PREFIX schema: <https://schema.org/>
INSERT DATA {
    <https://w3id.org/seirei/id/contact/kita-1-url> schema:url <https://kita.example.org/nihon> .
}
