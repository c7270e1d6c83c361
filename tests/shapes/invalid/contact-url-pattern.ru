# A contact URL whose host has no dot.
# expect: Violation shapes:ContactValueShape-url sh:NodeConstraintComponent id:contact/kita-1-url
# cause: shapes:HttpUrlShape sh:PatternConstraintComponent
PREFIX schema: <https://schema.org/>
DELETE { <https://w3id.org/seirei/id/contact/kita-1-url> schema:url <http://kita.example.org/nihon> }
INSERT { <https://w3id.org/seirei/id/contact/kita-1-url> schema:url <http://kita/nihon> }
WHERE { <https://w3id.org/seirei/id/contact/kita-1-url> schema:url <http://kita.example.org/nihon> }
